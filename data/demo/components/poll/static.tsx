export default function App() {
  return <p>Tea 12, coffee 15</p>;
}
