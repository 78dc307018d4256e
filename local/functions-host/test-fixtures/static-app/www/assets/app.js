console.log('fixture app');
