import { useState } from "react";

export default function App() {
  const [text, setText] = useState("");
  return (
    <div className="max-w-md p-6">
      <textarea className="w-full border p-2" />
      <p className="text-gray-500">280 characters left</p>
    </div>
  );
}
