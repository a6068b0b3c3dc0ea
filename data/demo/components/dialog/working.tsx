// request: A button that opens and closes a dialog
import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button onClick={() => setOpen(!open)}>{open ? "Close" : "Open"}</button>
      {open && <div role="dialog">Saved!</div>}
    </div>
  );
}
