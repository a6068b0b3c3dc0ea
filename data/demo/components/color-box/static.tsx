export default function App() {
  return <p style={{ color: "red" }}>The box is red.</p>;
}
