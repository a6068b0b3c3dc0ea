import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <div>
      <button onClick={() => {}}>Add to cart</button>
      <span>🛒 0</span>
    </div>
  );
}
