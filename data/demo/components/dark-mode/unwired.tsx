import { useState } from "react";

export default function App() {
  const [dark, setDark] = useState(false);
  const toggle = () => console.log("toggle");
  return (
    <div className="bg-white p-6 text-gray-900">
      <h1 className="text-xl font-bold">Light mode</h1>
      <button className="mt-4 rounded border px-3 py-1" onClick={toggle}>
        Toggle theme
      </button>
    </div>
  );
}
