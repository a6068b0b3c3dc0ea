// request: A tip calculator
import { useState } from "react";

export default function App() {
  const [tip, setTip] = useState(15);
  return (
    <div>
      <button onClick={() => setTip(10)}>10%</button>
      <button onClick={() => setTip(20)}>20%</button>
      <p>Tip on $40: ${(40 * tip) / 100}</p>
    </div>
  );
}
