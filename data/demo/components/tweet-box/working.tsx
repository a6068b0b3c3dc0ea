// request: A tweet box that counts characters
import { useState } from "react";

export default function App() {
  const [text, setText] = useState("");
  return (
    <div>
      <textarea value={text} onChange={(e) => setText(e.target.value)} />
      <p>{280 - text.length} left</p>
    </div>
  );
}
