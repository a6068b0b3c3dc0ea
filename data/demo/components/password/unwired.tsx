import { useState } from "react";

export default function App() {
  const [show, setShow] = useState(false);
  return (
    <div>
      <input type="password" defaultValue="secret" />
      <button>Show</button>
    </div>
  );
}
