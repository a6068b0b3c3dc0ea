export default function Broken() {
  return (
    <div className="card">
      <h2>Unfinished
    </div>
  );
