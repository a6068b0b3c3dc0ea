import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div className="max-w-md rounded border p-4">
      <button className="w-full text-left font-semibold">How long does shipping take? +</button>
      <p className="mt-2 text-gray-600">Orders arrive within three working days.</p>
    </div>
  );
}
