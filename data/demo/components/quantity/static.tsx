export default function App() {
  return <p>Coffee x 1: $8.50</p>;
}
