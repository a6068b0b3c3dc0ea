import { useState } from "react";

export default function App() {
  const [name, setName] = useState("");
  return (
    <div className="p-6">
      <label className="block text-sm">
        Your name
        <input className="mt-1 block border px-2 py-1" value={name} />
      </label>
      <p className="mt-4 text-xl">Hello, {name || "stranger"}!</p>
    </div>
  );
}
