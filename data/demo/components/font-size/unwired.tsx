import { useState } from "react";

export default function App() {
  const [size, setSize] = useState(16);
  return (
    <div>
      <button onClick={() => {}}>A+</button>
      <p style={{ fontSize: size }}>Hello</p>
    </div>
  );
}
