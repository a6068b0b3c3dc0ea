// request: A like button that shows how many likes a post has
import { useState } from "react";

export default function App() {
  const [likes, setLikes] = useState(12);
  return <button onClick={() => setLikes(likes + 1)}>♥ {likes} likes</button>;
}
