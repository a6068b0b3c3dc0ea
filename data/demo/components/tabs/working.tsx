// request: Two tabs, Profile and Settings, that switch the content
import { useState } from "react";

export default function App() {
  const [tab, setTab] = useState("profile");
  return (
    <div className="p-6">
      <div className="flex gap-2">
        <button className="rounded border px-3 py-1" onClick={() => setTab("profile")}>Profile</button>
        <button className="rounded border px-3 py-1" onClick={() => setTab("settings")}>Settings</button>
      </div>
      <p className="mt-4">{tab === "profile" ? "Ada Lovelace, London" : "Email alerts: weekly"}</p>
    </div>
  );
}
