// request: Buttons that make the text bigger or smaller
import { useState } from "react";

export default function App() {
  const [size, setSize] = useState(16);
  return (
    <div className="p-6">
      <button className="border px-2" onClick={() => setSize(size - 2)}>A−</button>
      <button className="ml-2 border px-2" onClick={() => setSize(size + 2)}>A+</button>
      <p className="mt-4" style={{ fontSize: size }}>The quick brown fox jumps over the lazy dog.</p>
    </div>
  );
}
