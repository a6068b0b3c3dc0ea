// request: An add to cart button with a cart count badge
import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <div>
      <button onClick={() => setCount(count + 1)}>Add to cart</button>
      <span>🛒 {count}</span>
    </div>
  );
}
