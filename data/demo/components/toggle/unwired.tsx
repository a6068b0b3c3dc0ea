import { useState } from "react";

export default function App() {
  const [on, setOn] = useState(false);
  return <button role="switch">Notifications: off</button>;
}
