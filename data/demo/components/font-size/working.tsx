// request: Buttons that make the text bigger or smaller
import { useState } from "react";

export default function App() {
  const [size, setSize] = useState(16);
  return (
    <div>
      <button onClick={() => setSize(size + 2)}>A+</button>
      <p style={{ fontSize: size }}>Hello</p>
    </div>
  );
}
