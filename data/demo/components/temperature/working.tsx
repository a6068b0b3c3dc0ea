// request: A Celsius to Fahrenheit converter
import { useState } from "react";

export default function App() {
  const [c, setC] = useState(20);
  return (
    <div>
      <input type="number" value={c} onChange={(e) => setC(Number(e.target.value))} />
      <p>{(c * 9) / 5 + 32} °F</p>
    </div>
  );
}
