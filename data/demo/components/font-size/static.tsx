export default function App() {
  return <p style={{ fontSize: 16 }}>Hello</p>;
}
