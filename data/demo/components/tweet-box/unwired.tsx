import { useState } from "react";

export default function App() {
  const [text, setText] = useState("");
  return (
    <div>
      <textarea />
      <p>280 left</p>
    </div>
  );
}
