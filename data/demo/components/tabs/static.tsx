export default function App() {
  return (
    <div>
      <h2>Profile</h2>
      <p>Ada, London</p>
    </div>
  );
}
