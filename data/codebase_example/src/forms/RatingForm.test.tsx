import { render, screen } from '@testing-library/react';
import RatingForm from './RatingForm';

test('submit is disabled until a star is picked', () => {
  render(<RatingForm />);
  expect(screen.getByText('Submit review')).toBeDisabled();
});
