import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <div>
      <button>-</button>
      <b>{count}</b>
      <button>+</button>
    </div>
  );
}
