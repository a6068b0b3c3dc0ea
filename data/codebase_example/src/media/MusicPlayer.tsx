/** A compact music player: play/pause, previous/next track, and a progress bar the user can click to seek. */
import { useEffect, useState } from 'react';
import { Pause, Play, SkipBack, SkipForward } from 'react-feather';

const TRACKS = [
  { title: 'Harbour Lights', artist: 'The Quiet Tides', seconds: 214 },
  { title: 'Paper Planes', artist: 'Nora Vale', seconds: 187 },
  { title: 'Night Market', artist: 'Kiyo', seconds: 242 },
];

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export default function MusicPlayer() {
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const track = TRACKS[index];

  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => setPosition((p) => Math.min(p + 1, track.seconds)), 1000);
    return () => clearInterval(id);
  }, [playing, track.seconds]);

  const go = (step: number) => {
    setIndex((index + step + TRACKS.length) % TRACKS.length);
    setPosition(0);
  };

  const seek = (e: React.MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    setPosition(Math.round(((e.clientX - box.left) / box.width) * track.seconds));
  };

  return (
    <div className="mx-auto mt-12 w-80 rounded-2xl bg-gray-900 p-6 text-white shadow-xl">
      <p className="text-lg font-semibold">{track.title}</p>
      <p className="text-sm text-gray-400">{track.artist}</p>
      <div onClick={seek} className="mt-4 h-2 cursor-pointer rounded bg-gray-700" role="slider" aria-valuenow={position}>
        <div className="h-2 rounded bg-emerald-400" style={{ width: `${(position / track.seconds) * 100}%` }} />
      </div>
      <div className="mt-1 flex justify-between text-xs text-gray-400">
        <span>{clock(position)}</span>
        <span>{clock(track.seconds)}</span>
      </div>
      <div className="mt-4 flex items-center justify-center gap-6">
        <button aria-label="Previous track" onClick={() => go(-1)}><SkipBack /></button>
        <button aria-label={playing ? 'Pause' : 'Play'} onClick={() => setPlaying(!playing)} className="rounded-full bg-white p-3 text-gray-900">
          {playing ? <Pause /> : <Play />}
        </button>
        <button aria-label="Next track" onClick={() => go(1)}><SkipForward /></button>
      </div>
    </div>
  );
}
