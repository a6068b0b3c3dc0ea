import { useState } from "react";

export default function App() {
  const [dark, setDark] = useState(false);
  return (
    <div>
      <p>Light mode</p>
      <button onClick={() => console.log("toggle")}>Toggle</button>
    </div>
  );
}
