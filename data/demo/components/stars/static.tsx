export default function App() {
  return <p>★★★★☆ 4 of 5</p>;
}
