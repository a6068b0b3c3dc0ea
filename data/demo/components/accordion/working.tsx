// request: A FAQ item that expands to show its answer
import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div className="max-w-md rounded border p-4">
      <button className="w-full text-left font-semibold" aria-expanded={open} onClick={() => setOpen(!open)}>
        How long does shipping take? {open ? "−" : "+"}
      </button>
      {open && <p className="mt-2 text-gray-600">Orders arrive within three working days.</p>}
    </div>
  );
}
