// request: Two tabs, Profile and Settings, that switch the content
import { useState } from "react";

export default function App() {
  const [tab, setTab] = useState("profile");
  return (
    <div>
      <button onClick={() => setTab("profile")}>Profile</button>
      <button onClick={() => setTab("settings")}>Settings</button>
      <p>{tab === "profile" ? "Ada, London" : "Alerts: weekly"}</p>
    </div>
  );
}
