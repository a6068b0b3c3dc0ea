export default function App() {
  return <p>Notifications: off</p>;
}
