import { useState } from "react";

export default function App() {
  const [tab, setTab] = useState("profile");
  return (
    <div>
      <button>Profile</button>
      <button>Settings</button>
      <p>Ada, London</p>
    </div>
  );
}
