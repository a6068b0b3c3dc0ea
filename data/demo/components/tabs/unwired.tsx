import { useState } from "react";

export default function App() {
  const [tab, setTab] = useState("profile");
  return (
    <div className="p-6">
      <div className="flex gap-2">
        <button className="rounded border px-3 py-1">Profile</button>
        <button className="rounded border px-3 py-1">Settings</button>
      </div>
      <p className="mt-4">Ada Lovelace, London</p>
    </div>
  );
}
