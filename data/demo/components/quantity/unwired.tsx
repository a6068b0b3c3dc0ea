import { useState } from "react";

export default function App() {
  const [qty, setQty] = useState(1);
  return (
    <div>
      <span>Coffee x {qty}</span>
      <button onClick={() => qty + 1}>+</button>
    </div>
  );
}
