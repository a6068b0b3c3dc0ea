// request: A quantity picker for a shop item
import { useState } from "react";

export default function App() {
  const [qty, setQty] = useState(1);
  return (
    <div>
      <span>Coffee x {qty}</span>
      <button onClick={() => setQty(qty + 1)}>+</button>
    </div>
  );
}
