import { useState } from "react";

export default function App() {
  const [tip, setTip] = useState(15);
  return (
    <div>
      <button>10%</button>
      <button>20%</button>
      <p>Tip on $40: $6</p>
    </div>
  );
}
