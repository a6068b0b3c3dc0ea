export default function App() {
  return <p>Apple, Banana, Cherry</p>;
}
