import { useState } from "react";

export default function App() {
  const [likes, setLikes] = useState(12);
  return <button onClick={() => {}}>♥ {likes} likes</button>;
}
