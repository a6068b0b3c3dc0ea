export default function App() {
  return (
    <div className="p-6 text-center">
      <p className="text-5xl">6</p>
      <p className="text-gray-500">You rolled a six.</p>
    </div>
  );
}
