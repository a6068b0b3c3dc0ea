// request: A password field with a show/hide button
import { useState } from "react";

export default function App() {
  const [password, setPassword] = useState("");
  const [show, setShow] = useState(false);
  return (
    <div className="flex gap-2 p-6">
      <input
        type={show ? "text" : "password"}
        className="border px-2 py-1"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button className="rounded border px-3" onClick={() => setShow(!show)}>{show ? "Hide" : "Show"}</button>
    </div>
  );
}
