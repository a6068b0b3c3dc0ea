import { useState } from "react";

export default function App() {
  const [tea, setTea] = useState(0);
  return (
    <div>
      <button onClick={() => console.log("tea")}>Tea {tea}</button>
      <button onClick={() => console.log("coffee")}>Coffee</button>
    </div>
  );
}
