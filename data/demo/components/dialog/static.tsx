export default function App() {
  return <div role="dialog">Saved!</div>;
}
