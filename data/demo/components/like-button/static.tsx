export default function App() {
  return <p>♥ 12 likes</p>;
}
