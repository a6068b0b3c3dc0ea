// request: A button that opens and closes a dialog
import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div className="p-6">
      <button className="rounded bg-blue-600 px-4 py-2 text-white" onClick={() => setOpen(true)}>Open</button>
      {open && (
        <div role="dialog" className="mt-4 rounded border p-4 shadow">
          <p>Your changes were saved.</p>
          <button className="mt-2 underline" onClick={() => setOpen(false)}>Close</button>
        </div>
      )}
    </div>
  );
}
