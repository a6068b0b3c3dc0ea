import { useState } from "react";

export default function App() {
  const [show, setShow] = useState(false);
  return (
    <div className="flex gap-2 p-6">
      <input type="password" className="border px-2 py-1" />
      <button className="rounded border px-3">Show</button>
    </div>
  );
}
