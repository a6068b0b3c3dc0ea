export default function App() {
  return <p>20 °C is 68 °F</p>;
}
