// request: A tweet box that counts characters
import { useState } from "react";

export default function App() {
  const [text, setText] = useState("");
  return (
    <div className="max-w-md p-6">
      <textarea className="w-full border p-2" value={text} onChange={(e) => setText(e.target.value)} />
      <p className={text.length > 280 ? "text-red-600" : "text-gray-500"}>{280 - text.length} characters left</p>
    </div>
  );
}
