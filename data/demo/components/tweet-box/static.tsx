export default function App() {
  return <p>280 left</p>;
}
