import { useState } from "react";

export default function App() {
  const [size, setSize] = useState(16);
  return (
    <div className="p-6">
      <button className="border px-2" onClick={() => {}}>A−</button>
      <button className="ml-2 border px-2" onClick={() => {}}>A+</button>
      <p className="mt-4" style={{ fontSize: size }}>The quick brown fox jumps over the lazy dog.</p>
    </div>
  );
}
