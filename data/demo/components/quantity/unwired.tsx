import { useState } from "react";

export default function App() {
  const [qty, setQty] = useState(1);
  const more = () => qty + 1;
  return (
    <div className="flex items-center gap-2 p-6">
      <span className="mr-4">Coffee beans</span>
      <span>{qty}</span>
      <button className="border px-2" onClick={more}>+</button>
    </div>
  );
}
