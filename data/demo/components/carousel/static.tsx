export default function App() {
  return <p>Mountains</p>;
}
