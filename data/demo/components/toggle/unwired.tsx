import { useState } from "react";

export default function App() {
  const [on, setOn] = useState(false);
  return (
    <div className="flex items-center gap-3 p-6">
      <button role="switch" className="rounded-full bg-gray-300 px-4 py-1">
        Off
      </button>
      <span>Notifications</span>
    </div>
  );
}
