import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div className="p-6">
      <button className="rounded bg-blue-600 px-4 py-2 text-white" onClick={() => {}}>Open</button>
    </div>
  );
}
