import { useState } from "react";

export default function App() {
  const [name, setName] = useState("");
  return (
    <div>
      <input value={name} />
      <p>Hello, {name || "stranger"}!</p>
    </div>
  );
}
