export default function App() {
  return (
    <div className="bg-black text-white">
      <p>Dark mode</p>
    </div>
  );
}
